// Progressive enhancement only: every page works without this file.
// Kept out of the HTML so that the Content-Security-Policy can forbid inline
// script.
import { initAll } from "../build/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
