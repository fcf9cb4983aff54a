// The pages' few behaviours (htmx does the polling): copy a link, show a grid cell's details
// on click, print. Everything also works without this file, except copying by button.
document.addEventListener("click", function (event) {
  var copy = event.target.closest("[data-copy]");
  if (copy) {
    var input = document.getElementById(copy.getAttribute("data-copy"));
    input.select();
    var done = function () { copy.textContent = copy.getAttribute("data-done"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
    return;
  }
  if (event.target.closest("[data-print]")) {
    window.print();
    return;
  }
  var cell = event.target.closest("table.grid td[title]");
  var info = document.getElementById("cell-info");
  if (cell && info) {
    var row = cell.parentElement.querySelector("th");
    var head = cell.closest("table").tHead.rows[0].cells[cell.cellIndex];
    info.textContent = (row ? row.textContent.trim() + " – " : "") + (head ? head.title + "\n" : "") + cell.title;
  }
});
