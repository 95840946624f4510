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

/* An element with its properties (className, type, textContent…) and attributes set. */
function element(tag, { attributes = {}, ...properties } = {}) {
  const made = Object.assign(document.createElement(tag), properties);
  for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, value);
  return made;
}

function listing(items) {
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : items.join("");
}

/* What the library says of the placed pictures (`placeable/?ids=`): where each is carried now
   and, where the public pages will not show it, why not; one request for them all, asked again
   when a picture is placed. Each node's view draws itself again when the answer comes. */
function placedStatus(pictures) {
  const known = new Map();
  const missing = new Set();
  const views = new Set();
  let failure = "";

  async function refresh(editor) {
    if (!pictures.library) return;
    const ids = new Set();
    editor.state.doc.descendants((node) => {
      if (node.type.name === "placedPicture" && node.attrs.picture) ids.add(node.attrs.picture);
    });
    if (!ids.size) return;
    const url = new URL(pictures.library, window.location.href);
    url.searchParams.set("ids", [...ids].join(","));
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`the library answered ${response.status}`);
      const answer = await response.json();
      for (const row of answer.pictures) {
        known.set(String(row.id), row);
        missing.delete(String(row.id));
      }
      for (const id of answer.missing) {
        known.delete(String(id));
        missing.add(String(id));
      }
      failure = "";
    } catch (error) {
      failure = `Where it shows could not be read (${error.message}).`;
    }
    for (const draw of views) draw();
  }

  /* The lines under a placed picture's caption: its channels, and a note where it will not
     show; nothing before the library has answered, or without the library. */
  function lines(id) {
    if (missing.has(id)) {
      return [["refused", `Picture ${id} is not in the library: it will not show.`]];
    }
    const row = known.get(id);
    if (!row) return failure ? [["quiet", failure]] : [];
    const carried = row.carried.length ? `Carried on ${listing(row.carried)}.` : "Carried on no channel.";
    return row.note ? [["quiet", carried], ["refused", row.note]] : [["shown", carried]];
  }

  /* Whether to show its thumbnail: the library has it, or could not be asked. */
  function exists(id) {
    return known.has(id) || (Boolean(failure) && !missing.has(id));
  }

  return { refresh, lines, exists, views };
}

/* A picture placed in the body: stored as <figure data-picture="ID"> with the caption the desk
   typed (plain text) in its <figcaption>; shown here as the library's thumbnail, with where it
   shows (`placedStatus`). */
function placedPicture(bundle, pictures, status) {
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
        const id = String(node.attrs.picture);
        const dom = element("figure", { className: "nr-placed-picture", contentEditable: "false" });
        // The thumbnail is asked for once the library has said the picture is there.
        const image = element("img", { alt: `Picture ${id}` });
        const caption = element("figcaption", {
          textContent: node.attrs.caption
            ? `Picture ${id}: ${node.attrs.caption}`
            : `Picture ${id}, with its own caption`,
        });
        const where = element("div", {
          className: "nr-placed-picture__where",
          attributes: { "aria-live": "polite" },
        });
        caption.append(where);
        dom.append(caption);
        const draw = () => {
          if (pictures.thumbnail && status.exists(id) && !image.isConnected) {
            image.src = pictures.thumbnail.replace("/0/", `/${id}/`);
            dom.prepend(image);
          }
          const lines = status.lines(id);
          dom.classList.toggle("nr-placed-picture--withheld", lines.some(([kind]) => kind === "refused"));
          where.replaceChildren(
            ...lines.map(([kind, text]) =>
              element("span", { className: `nr-placed-picture__${kind}`, textContent: text }),
            ),
          );
        };
        draw();
        status.views.add(draw);
        return { dom, destroy: () => status.views.delete(draw) };
      };
    },
  });
}

function labelled(text, control) {
  const label = element("label");
  label.append(text, control);
  return label;
}

/* A line that screen readers announce when it changes. */
function liveLine(className, id = "") {
  return element("p", { className, ...(id && { id }), attributes: { "aria-live": "polite" } });
}

/* "Insert picture": the library's newest pictures (or those a search finds), each with the
   channels that may carry it, and a caption of the desk's own; the picture goes where the
   cursor is. Whether it shows on each channel is judged when the story is read. */
function pictureControl(editor, pictures, field, status) {
  const box = element("fieldset", { className: "nr-place-picture" });
  const legend = element("legend", { textContent: "Place a picture from the library" });
  const search = element("input", { type: "search", className: "nr-place-picture__search" });
  const find = element("button", { type: "button", textContent: "Find" });
  const choice = element("select", { className: "nr-place-picture__choice" });
  const caption = element("input", {
    type: "text",
    className: "nr-place-picture__caption",
    maxLength: 300,
  });
  const insert = element("button", {
    type: "button",
    className: "nr-place-picture__insert",
    textContent: "Insert picture",
  });
  const note = liveLine("nr-place-picture__note");
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
          const carried = picture.carried.length ? picture.carried.join(", ") : "no channel";
          return element("option", {
            value: String(picture.id),
            textContent: `${picture.id} · ${picture.title} · ${picture.credit} · carried on ${carried}`,
          });
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
    status.refresh(editor);
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
  const status = config.pictures ? placedStatus(config.pictures) : null;
  if (status) {
    extensions.push(placedPicture(bundle, config.pictures, status));
  }
  // The editor and its word count in one box, so the admin's row lays them out as one field.
  const field = element("div", { className: "prose-editor-field" });
  const wrapper = element("div", { className: "prose-editor" });
  const output = liveLine("prose-editor-count", `${textarea.id}_count`);
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
  if (status) {
    status.refresh(editor);
  }
  if (config.pictures?.library && !textarea.disabled) {
    pictureControl(editor, config.pictures, field, status);
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
