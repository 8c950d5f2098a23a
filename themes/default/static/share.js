// "Copy link" on a story's page: a plain link to the story without JavaScript;
// with it, a click copies the address and says so. No request, no other host.
for (const link of document.querySelectorAll("a.copy-link")) {
  link.addEventListener("click", async (event) => {
    if (!navigator.clipboard) return;  // the plain link it is
    event.preventDefault();
    try {
      await navigator.clipboard.writeText(link.href);
    } catch (err) {
      location.href = link.href;
      return;
    }
    const label = link.textContent;
    link.textContent = link.dataset.copied;
    link.setAttribute("aria-live", "polite");
    setTimeout(() => { link.textContent = label; }, 2500);
  });
}
