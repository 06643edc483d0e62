// The minutes editor, enhanced: rows added without a round trip, and each
// person field made GOV.UK's accessible autocomplete. The editor works
// without this file: "Add items" and the lists of names do the same by post.

function enhancePeople(root) {
  const autocomplete = window.accessibleAutocomplete;
  if (!autocomplete) return;
  for (const select of root.querySelectorAll("select[name$='-person'], select[name$='-presenter']")) {
    const chosen = select.value ? select.options[select.selectedIndex].text : "";
    autocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: chosen,
      showAllValues: false,
      minLength: 2,
      // Over the page, and so over the save bar at the foot of the window.
      displayMenu: "overlay",
      dropdownArrow: () => "",
      tNoResults: () => "No one of that name: choose “Add as a new person”",
    });
    // Clearing the name unlinks the row (the autocomplete leaves the select as it was).
    const input = document.getElementById(select.id);
    input?.addEventListener("blur", () => {
      if (!input.value.trim()) select.value = "";
    });
  }
}

function addRows(button) {
  const prefix = button.dataset.addRow;
  const template = document.getElementById(`blank-${prefix}`);
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const rows = document.getElementById(`${prefix}-rows`);
  if (!template || !total || !rows) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const index = Number(total.value);
    const html = template.innerHTML.replaceAll("__prefix__", String(index)).replaceAll("__number__", String(index + 1));
    rows.querySelector(":scope > p")?.remove();
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const row = rows.lastElementChild;
    enhancePeople(row);
    // The field a clerk types first: an item's title, a person's name.
    (row.querySelector("[name$='-title'], [name$='-name']") ?? row.querySelector("input:not([type=hidden])"))?.focus();
  });
}

document.querySelectorAll("[data-add-row]").forEach(addRows);
enhancePeople(document);
