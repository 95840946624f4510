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

/* A picture placed in the body: stored as <figure data-picture="ID"> with the caption the desk
   typed (plain text) in its <figcaption>; shown here as the library's thumbnail. */
function placedPicture(bundle, pictures) {
  return bundle.Node.create({
    name: "placedPicture",
    group: "block",
    atom: true,
    selectable: true,
    draggable: true,
    addAttributes() {
      return {
        picture: {
          default: null,
          parseHTML: (element) => element.getAttribute("data-picture"),
          renderHTML: (attributes) => ({ "data-picture": attributes.picture }),
        },
        caption: {
          default: "",
          parseHTML: (element) => (element.querySelector("figcaption")?.textContent || "").trim(),
          renderHTML: () => ({}),
        },
      };
    },
    parseHTML() {
      return [{ tag: "figure[data-picture]" }];
    },
    renderHTML({ node, HTMLAttributes }) {
      const caption = node.attrs.caption;
      return caption ? ["figure", HTMLAttributes, ["figcaption", caption]] : ["figure", HTMLAttributes];
    },
    addNodeView() {
      return ({ node }) => {
        const dom = document.createElement("figure");
        dom.className = "nr-placed-picture";
        dom.contentEditable = "false";
        if (pictures.thumbnail) {
          const image = document.createElement("img");
          image.src = pictures.thumbnail.replace("/0/", `/${node.attrs.picture}/`);
          image.alt = `Picture ${node.attrs.picture}`;
          dom.append(image);
        }
        const caption = document.createElement("figcaption");
        caption.textContent = node.attrs.caption
          ? `Picture ${node.attrs.picture}: ${node.attrs.caption}`
          : `Picture ${node.attrs.picture}, with its own caption`;
        dom.append(caption);
        return { dom };
      };
    },
  });
}

function labelled(text, control) {
  const label = document.createElement("label");
  label.append(text, control);
  return label;
}

/* "Insert picture": the library's newest pictures (or those a search finds), each with the
   channels that may carry it, and a caption of the desk's own; the picture goes where the
   cursor is. Whether it shows on each channel is judged when the story is read. */
function pictureControl(editor, pictures, field) {
  const box = document.createElement("fieldset");
  box.className = "nr-place-picture";
  const legend = document.createElement("legend");
  legend.textContent = "Place a picture from the library";
  const search = document.createElement("input");
  search.type = "search";
  search.className = "nr-place-picture__search";
  const find = document.createElement("button");
  find.type = "button";
  find.textContent = "Find";
  const choice = document.createElement("select");
  choice.className = "nr-place-picture__choice";
  const caption = document.createElement("input");
  caption.type = "text";
  caption.className = "nr-place-picture__caption";
  caption.maxLength = 300;
  const insert = document.createElement("button");
  insert.type = "button";
  insert.className = "nr-place-picture__insert";
  insert.textContent = "Insert picture";
  const note = document.createElement("p");
  note.className = "nr-place-picture__note";
  note.setAttribute("aria-live", "polite");
  box.append(
    legend,
    labelled("Find ", search),
    find,
    labelled("Picture ", choice),
    labelled("Caption (leave empty for the picture's own) ", caption),
    insert,
    note,
  );
  field.append(box);

  async function load() {
    const url = new URL(pictures.library, window.location.href);
    if (search.value.trim()) url.searchParams.set("q", search.value.trim());
    note.textContent = "Looking…";
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`the library answered ${response.status}`);
      const found = (await response.json()).pictures;
      choice.replaceChildren(
        ...found.map((picture) => {
          const option = document.createElement("option");
          option.value = String(picture.id);
          const carried = picture.carried.length ? picture.carried.join(", ") : "no channel";
          option.textContent = `${picture.id} · ${picture.title} · ${picture.credit} · carried on ${carried}`;
          return option;
        }),
      );
      note.textContent = found.length ? `${found.length} found.` : "No picture found.";
      insert.disabled = !found.length;
    } catch (error) {
      note.textContent = `The library could not be read (${error.message}).`;
    }
  }

  find.addEventListener("click", load);
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      load();
    }
  });
  caption.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      insert.click();
    }
  });
  insert.addEventListener("click", () => {
    if (!choice.value) return;
    editor
      .chain()
      .focus()
      .insertContent({
        type: "placedPicture",
        attrs: { picture: choice.value, caption: caption.value.replace(/\s+/g, " ").trim() },
      })
      .run();
    note.textContent = `Picture ${choice.value} placed.`;
    caption.value = "";
  });
  load();
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
  if (config.pictures) {
    extensions.push(placedPicture(bundle, config.pictures));
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
  if (config.pictures?.library && !textarea.disabled) {
    pictureControl(editor, config.pictures, field);
  }
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
