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

  it('walks the parsed content in place, without cloning it out of the parse root', () => {
    // DOMPurify takes cloneNode from Element.prototype when it is created: spy first, then create.
    const spied = createWindow();
    const proto = spied.Element.prototype as { cloneNode: (deep?: boolean) => Node };
    const original = proto.cloneNode;
    let clones = 0;
    proto.cloneNode = function (this: Node, deep?: boolean) {
      clones++;
      return original.call(this, deep);
    };
    try {
      const container = spied.document.createElement('div');
      container.append(createRenderer(spied).render('# Title\n\nSome *text* and `code`.\n\n- a\n- b\n\n```ts\nconst x = 1;\n```\n'));
      assert.match(container.innerHTML, /<h1>Title<\/h1>/);
      assert.equal(clones, 0);
    } finally {
      proto.cloneNode = original;
    }
  });

  it('never lets a <body> in the input through as an element', () => {
    assert.equal(clean('<body onload="x()"><p>in</p></body><body class="hljs">2</body>'), '<p>in</p>2');
  });
});
