// Copy buttons: <button data-copy="ID"> copies the value of the input with that id. The result is
// announced to screen readers through the button's own text, which then goes back to its label.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  const label = button.dataset.label ?? (button.dataset.label = button.textContent);
  try {
    await navigator.clipboard.writeText(field.value);
    button.textContent = "Copied";
  } catch {
    // No clipboard permission: select the text so Ctrl+C works.
    field.select();
    button.textContent = "Press Ctrl+C";
  }
  button.setAttribute("aria-live", "polite");
  setTimeout(() => { button.textContent = label; }, 3000);
});
