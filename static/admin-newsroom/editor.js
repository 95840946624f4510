/* The desk's rich-text editor: django-prose-editor's ProseMirror bundle, set up here so that
   nothing inline is needed under the admin's Content Security Policy. The bundle is imported by
   the URL the widget gives (its hashed name, so no import map), and Tiptap is told not to add a
   <style> element: its rules are in editor.css. Each textarea keeps the value the form sends;
   the editor writes HTML into the body's and plain text into the standfirst's, and counts words. */

const selector = "textarea[data-prose-editor]";

function countWords(text) {
  const words = text.trim().split(/\s+/).filter(Boolean);
  return words.length;
}

function showCount(output, text) {
  const count = countWords(text);
  output.textContent = count === 1 ? "1 word" : `${count} words`;
}

/* Plain text becomes paragraphs at blank lines, never markup: a "<" stays a character. */
function plainDocument(text) {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, " ").trim())
    .filter(Boolean);
  return {
    type: "doc",
    content: paragraphs.length
      ? paragraphs.map((paragraph) => ({
          type: "paragraph",
          content: [{ type: "text", text: paragraph }],
        }))
      : [{ type: "paragraph" }],
  };
}

function emptyMarkup(html) {
  return /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html);
}

/* The link dialog leaves title="" on a link given no title: the stored body does without. */
function withoutEmptyTitles(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  for (const element of template.content.querySelectorAll('[title=""]')) {
    element.removeAttribute("title");
  }
  return template.innerHTML;
}

function mount(bundle, textarea) {
  const config = JSON.parse(textarea.dataset.proseEditor);
  const plain = config.mode === "plain";
  const extensions = [];
  for (const [name, options] of Object.entries(config.extensions)) {
    const extension = bundle[name];
    if (extension) {
      extensions.push(typeof options === "object" ? extension.configure(options) : extension);
    }
  }
  // The editor and its word count in one box, so the admin's row lays them out as one field.
  const field = document.createElement("div");
  field.className = "prose-editor-field";
  const wrapper = document.createElement("div");
  wrapper.className = "prose-editor";
  const output = document.createElement("p");
  output.className = "prose-editor-count";
  output.id = `${textarea.id}_count`;
  output.setAttribute("aria-live", "polite");
  textarea.before(field);
  field.append(wrapper, output);
  wrapper.append(textarea);

  const editor = new bundle.Editor({
    element: wrapper,
    injectCSS: false,
    editable: !textarea.disabled,
    extensions,
    content: plain ? plainDocument(textarea.value) : textarea.value,
    editorProps: {
      attributes: { "aria-describedby": output.id, "aria-label": config.label || "" },
    },
    onUpdate({ editor: changed }) {
      const text = changed.getText({ blockSeparator: "\n\n" });
      if (plain) {
        textarea.value = text.trim();
      } else {
        const html = changed.getHTML();
        textarea.value = emptyMarkup(html) ? "" : withoutEmptyTitles(html);
      }
      showCount(output, text);
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
  showCount(output, editor.getText({ blockSeparator: "\n\n" }));
  textarea.dispatchEvent(
    new CustomEvent("prose-editor:ready", { detail: { editor, textarea }, bubbles: true }),
  );
}

const textareas = document.querySelectorAll(selector);
if (textareas.length) {
  const bundle = await import(JSON.parse(textareas[0].dataset.proseEditor).module);
  for (const textarea of textareas) {
    mount(bundle, textarea);
  }
}
