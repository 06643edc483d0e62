// Names for the admin's autocomplete widgets (select2), which otherwise
// leave screen readers a nameless combobox: the field's label names the
// combobox and its search box, and the rendered choice stops claiming to be
// a text box of its own.
(function () {
  "use strict";

  function nameAutocomplete(select) {
    const container = select.nextElementSibling;
    const label = select.id && document.querySelector(`label[for="${select.id}"]`);
    if (!label || !container || !container.classList.contains("select2")) {
      return;
    }
    if (!label.id) {
      label.id = `${select.id}-label`;
    }
    const rendered = container.querySelector(".select2-selection__rendered");
    const combobox = container.querySelector("[role=combobox]");
    if (combobox) {
      const names = [label.id];
      if (rendered && rendered.id) {
        names.push(rendered.id);
      }
      combobox.setAttribute("aria-labelledby", names.join(" "));
    }
    if (rendered && rendered.getAttribute("role") === "textbox") {
      rendered.removeAttribute("role");
      rendered.removeAttribute("aria-readonly");
    }
    for (const search of container.querySelectorAll(".select2-search__field")) {
      search.setAttribute("aria-labelledby", label.id);
    }
    // A multiple choice puts its "clear all" button inside its list of
    // choices, where only list items belong: it is moved out before the
    // list, each time select2 draws it again.
    if (rendered && rendered.tagName === "UL" && !rendered.dataset.clearMovedOut) {
      rendered.dataset.clearMovedOut = "true";
      const moveClearOut = () => {
        for (const child of [...rendered.children]) {
          if (child.tagName !== "LI") {
            rendered.before(child);
          }
        }
      };
      moveClearOut();
      new MutationObserver(moveClearOut).observe(rendered, { childList: true });
    }
  }

  function nameAll() {
    for (const select of document.querySelectorAll("select.admin-autocomplete")) {
      nameAutocomplete(select);
    }
  }

  // After the admin's autocomplete.js has made its widgets: its jQuery
  // ready handler was registered before this deferred script ran, so this
  // one runs after it; and for each row added to an inline.
  if (window.django && window.django.jQuery) {
    window.django.jQuery(nameAll);
  }
  document.addEventListener("formset:added", () => window.setTimeout(nameAll));
  document.addEventListener("change", (event) => {
    if (event.target.matches && event.target.matches("select.admin-autocomplete")) {
      window.setTimeout(() => nameAutocomplete(event.target));
    }
  });
})();
