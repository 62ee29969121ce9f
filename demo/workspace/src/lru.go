// Package lru is a fixed-size least-recently-used cache.
package lru

import "container/list"

type entry struct {
	key   string
	value []byte
}

// Cache holds at most Capacity entries; adding one more evicts the least recently used.
type Cache struct {
	Capacity int
	order    *list.List
	index    map[string]*list.Element
}

// New returns an empty cache of the given capacity.
func New(capacity int) *Cache {
	return &Cache{Capacity: capacity, order: list.New(), index: make(map[string]*list.Element)}
}

// Get returns the value for key and marks it as recently used.
func (c *Cache) Get(key string) ([]byte, bool) {
	if el, ok := c.index[key]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*entry).value, true
	}
	return nil, false
}

// Put stores value under key, evicting the oldest entry when the cache is full.
func (c *Cache) Put(key string, value []byte) {
	if el, ok := c.index[key]; ok {
		el.Value.(*entry).value = value
		c.order.MoveToFront(el)
		return
	}
	c.index[key] = c.order.PushFront(&entry{key, value})
	if c.order.Len() > c.Capacity {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.index, oldest.Value.(*entry).key)
	}
}
