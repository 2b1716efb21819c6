// The start page's charts: drawn with Chart.js from the figures in #home-chart-data, beside the tables that show the
// same figures (and stay the whole page without JavaScript or without Chart.js). A click on a bar opens its list.
(function () {
    'use strict';
    var data = document.getElementById('home-chart-data');
    if (!data || typeof window.Chart === 'undefined') {
        return;
    }

    var charts = JSON.parse(data.textContent || '[]');
    charts.forEach(function (chart) {
        var canvas = document.querySelector('canvas[data-chart="' + chart.id + '"]');
        if (!canvas) {
            return;
        }

        canvas.closest('[data-chart-box]').hidden = false;
        new window.Chart(canvas, {
            type: 'bar',
            data: {
                labels: chart.labels,
                datasets: [{ data: chart.values, backgroundColor: '#2f6fb3' }]
            },
            options: {
                maintainAspectRatio: false,
                indexAxis: chart.labels.length > 5 ? 'y' : 'x',
                plugins: { legend: { display: false } },
                onClick: function (event, elements) {
                    if (elements.length > 0) {
                        window.location.href = chart.links[elements[0].index];
                    }
                },
                onHover: function (event, elements) {
                    event.native.target.style.cursor = elements.length > 0 ? 'pointer' : 'default';
                }
            }
        });
    });
}());
