// Copy buttons: <button data-copy="ID"> copies the value of the input with that id. The result is
// announced to screen readers through the button's own text.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  const label = button.firstChild;
  try {
    await navigator.clipboard.writeText(field.value);
    label.textContent = "Copied";
  } catch {
    // No clipboard permission: select the text so Ctrl+C works.
    field.select();
    label.textContent = "Press Ctrl+C";
  }
  button.setAttribute("aria-live", "polite");
  setTimeout(() => { label.textContent = "Copy"; }, 3000);
});
