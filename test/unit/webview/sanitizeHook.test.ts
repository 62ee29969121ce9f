import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRenderer, createWindow } from './helpers';

const win = createWindow();
const doc = win.document;
const markdown = createRenderer(win);

const clean = (html: string): string => {
  const container = doc.createElement('div');
  container.append(markdown.sanitize(html));
  return container.innerHTML;
};

describe('sanitizer hook (fast path for attributes that are already fine)', () => {
  it('leaves class lists made only of safe classes exactly as they are', () => {
    assert.equal(clean('<span class="hljs-title function_">f</span>'), '<span class="hljs-title function_">f</span>');
    assert.equal(clean('<code class="language-ts hljs">x</code>'), '<code class="language-ts hljs">x</code>');
    assert.equal(clean('<a class="md-image" href="https://e.example/i.png">i</a>'), '<a class="md-image" href="https://e.example/i.png" rel="noopener noreferrer" title="https://e.example/i.png">i</a>');
  });

  it('still filters any list with one unsafe class, or with unusual separators', () => {
    assert.equal(clean('<span class="hljs-keyword code-toolbar">k</span>'), '<span class="hljs-keyword">k</span>');
    assert.equal(clean('<span class="turn-error retry">x</span>'), '<span>x</span>');
    assert.equal(clean('<span class="hljs-a\thljs-b">x</span>'), '<span class="hljs-a hljs-b">x</span>');
    assert.equal(clean('<span class="hljs-a  hljs-b ">x</span>'), '<span class="hljs-a hljs-b">x</span>');
    assert.equal(clean('<code class="language-x&quot;y">x</code>'), '<code>x</code>');
  });

  it('keeps the config for every call, not just the first', () => {
    for (let i = 0; i < 3; i++) {
      assert.equal(clean('<p onclick="x()" OnMouseOver="y()">p</p><img src="x"><a href="javascript:alert(1)">a</a>'), '<p>p</p><a>a</a>');
    }
    assert.ok(markdown.sanitize('<p>x</p>') instanceof win.DocumentFragment, 'sanitize() still returns a fragment');
  });
});
