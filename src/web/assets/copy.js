// Copy buttons for citation lines. Without JavaScript the buttons stay
// hidden and the line selects as a whole with one click.
document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
  var line = document.getElementById(button.getAttribute("data-copy"));
  if (!line) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var text = line.textContent;
    var done = function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { select(line); });
    } else {
      select(line);
      try { if (document.execCommand("copy")) done(); } catch (e) {}
    }
  });
});

function select(element) {
  var range = document.createRange();
  range.selectNodeContents(element);
  var selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}
