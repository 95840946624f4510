// "Copy preview link": copy the signed link instead of following it, and say so. Without script,
// or where the clipboard is refused, the link opens the preview, whose address can be copied.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.nr-copy-link");
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  navigator.clipboard.writeText(link.href).then(
    () => { link.textContent = link.dataset.copied || "Copied"; },
    () => { window.location.href = link.href; },
  );
});
