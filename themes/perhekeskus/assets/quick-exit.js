// "Exit this page", after GOV.UK's pattern: the button, or the Shift key pressed three times
// within five seconds, blanks the page at once and replaces it with a neutral site in the
// history, so Back does not return here. Escape does nothing special: it closes what it
// usually closes. Without JavaScript the button is an ordinary link to the neutral site.
(function () {
  var bar = document.querySelector("[data-quick-exit-bar]");
  var button = document.querySelector("[data-quick-exit]");
  if (!bar || !button) return;
  var status = bar.querySelector("[data-quick-exit-status]");
  var hint = bar.querySelector("[data-quick-exit-hint]");
  var presses = 0;
  var timer = null;

  function say(text) {
    if (status) status.textContent = text || "";
  }

  function leave() {
    // Blank first: the page must not stay readable while the next one loads.
    document.title = "";
    document.body.textContent = "";
    document.documentElement.style.background = "#fff";
    location.replace(button.href);
  }

  function reset() {
    presses = 0;
    if (timer) clearTimeout(timer);
    timer = null;
  }

  button.addEventListener("click", function (event) {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    leave();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      reset();  // Shift held for a capital letter is typing, not the shortcut
      return;
    }
    if (event.repeat) return;
    presses += 1;
    if (timer) clearTimeout(timer);
    if (presses >= 3) {
      say(bar.getAttribute("data-leaving"));
      leave();
      return;
    }
    say(bar.getAttribute(presses === 1 ? "data-two-more" : "data-one-more"));
    timer = setTimeout(function () {
      reset();
      say(bar.getAttribute("data-timed-out"));
    }, 5000);
  });

  // The hint speaks of a key, so it is shown only where this script runs.
  if (hint) hint.hidden = false;

  // Keep focused elements clear of the bar at the bottom of the window (WCAG 2.4.11).
  function measure() {
    document.documentElement.style.setProperty("--quick-exit-height", bar.offsetHeight + "px");
  }
  measure();
  if (window.ResizeObserver) new ResizeObserver(measure).observe(bar);
  else window.addEventListener("resize", measure);
})();
