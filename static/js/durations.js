/* What a duration field understood, shown while the person types: "= 1 h 30".
   The same rules as exchange/durations.py (parse_duration, format_minutes); the server reads
   the field again, so this only helps, it decides nothing. The messages come from the field's
   data-duration-* attributes, in the page's language. */
(function () {
  "use strict";

  var UNIT_H = "(?:h|heures?|hours?|hrs?)";
  var HM = new RegExp("^([0-9]{1,4})" + UNIT_H + "([0-9]{1,2})?(?:min|mn|m)?$");
  var MIN = /^([0-9]{1,5})(?:min|mn|minutes?)$/;
  var DECIMAL = new RegExp("^(([0-9]{1,4})(?:[.,]([0-9]{1,4}))?)" + UNIT_H + "?$");
  var NBSP = "\u00a0";

  function parse(text) {
    var value = text.trim().toLowerCase().split(/\s+/).join(" ");
    if (!value) return { blank: true };
    var compact = value.replace(/ /g, "");
    var m = MIN.exec(compact);
    if (m) return { minutes: parseInt(m[1], 10) };
    m = HM.exec(compact);
    if (m) {
      var rest = m[2] ? parseInt(m[2], 10) : 0;
      if (rest > 59) return { invalid: true };
      return { minutes: parseInt(m[1], 10) * 60 + rest };
    }
    m = DECIMAL.exec(compact);
    if (m) {
      var fraction = m[3] || "0";
      var scale = Math.pow(10, fraction.length);
      var sixtieths = parseInt(fraction, 10) * 60; // fraction of an hour, in minutes × scale
      var hours = parseInt(m[2], 10) * 60;
      if (sixtieths % scale !== 0) {
        var nearest = hours + Math.floor((2 * sixtieths + scale) / (2 * scale));
        return { typed: m[1], nearest: Math.max(nearest, 1) };
      }
      return { minutes: hours + sixtieths / scale };
    }
    return { invalid: true };
  }

  function format(minutes) {
    var hours = Math.floor(minutes / 60);
    var rest = minutes % 60;
    if (hours && rest) return hours + NBSP + "h" + NBSP + (rest < 10 ? "0" : "") + rest;
    if (hours) return hours + NBSP + "h";
    return rest + NBSP + "min";
  }

  // [what to say, whether it is a refusal]
  function read(input) {
    var result = parse(input.value);
    if (result.blank) return ["", false];
    if (result.invalid) return [input.getAttribute("data-duration-invalid"), true];
    if (result.typed) {
      var said = input
        .getAttribute("data-duration-fraction")
        .replace("{typed}", result.typed)
        .replace("{nearest}", format(result.nearest));
      return [said, true];
    }
    if (result.minutes === 0 && input.hasAttribute("data-duration-zero")) {
      return [input.getAttribute("data-duration-zero"), true];
    }
    return ["= " + format(result.minutes), false];
  }

  function bind(input) {
    var output = document.getElementById(input.id + "-read");
    if (!output) return;
    var unit = input.parentNode.querySelector(".duration-unit");
    var show = function () {
      var said = read(input);
      output.textContent = said[0];
      output.classList.toggle("refused", said[1]);
      // The "h" beside the input says what a number alone means; "45 min" says it itself.
      if (unit) unit.hidden = /[a-z]/i.test(input.value);
    };
    input.addEventListener("input", show);
    if (input.value) show();
  }

  function start() {
    var inputs = document.querySelectorAll("input[data-duration]");
    for (var i = 0; i < inputs.length; i++) bind(inputs[i]);
  }

  if (typeof document === "undefined") {
    module.exports = { parse: parse, format: format }; // node, for tests/unit/test_durations.py
    return;
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
