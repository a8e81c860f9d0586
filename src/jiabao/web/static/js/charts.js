// Draws every <canvas data-chart> with Chart.js (npm chart.js, served from node_modules as /static/vendor).
// The data come from the canvas's data attributes; the page carries no inline script (CSP script-src 'self').
(function () {
  function money(value) { return '¥' + Number(value).toLocaleString('zh-CN', { maximumFractionDigits: 0 }); }
  function draw(canvas) {
    if (typeof Chart === 'undefined' || canvas.dataset.drawn) return;
    canvas.dataset.drawn = '1';
    var horizontal = canvas.dataset.chart === 'bar-horizontal';
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: JSON.parse(canvas.dataset.labels || '[]'),
        datasets: [{ label: canvas.dataset.label, data: JSON.parse(canvas.dataset.values || '[]'), backgroundColor: '#b8202c' }]
      },
      options: {
        indexAxis: horizontal ? 'y' : 'x', responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (c) { return money(c.raw); } } } },
        scales: horizontal ? { x: { ticks: { callback: money } } } : { y: { ticks: { callback: money } } }
      }
    });
  }
  function drawAll() { document.querySelectorAll('canvas[data-chart]').forEach(draw); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', drawAll); else drawAll();
  document.addEventListener('htmx:afterSwap', drawAll);
})();
