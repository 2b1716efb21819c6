// The charts of the start page and the reports: drawn with Chart.js from the figures in #chart-data, beside the tables
// that show the same figures (and stay the whole page without JavaScript or without Chart.js). A chart is either one
// series of bars ({ id, labels, values, links }: a click on a bar opens its list) or several series
// ({ id, labels, series: [{ label, values, type, axis }] }), with a legend, lines on a second axis where asked.
(function () {
    'use strict';
    var data = document.getElementById('chart-data');
    if (!data || typeof window.Chart === 'undefined') {
        return;
    }

    var colors = ['#2f6fb3', '#b34d2f', '#2f8a4c', '#7a4fb3'];
    var charts = JSON.parse(data.textContent || '[]');
    charts.forEach(function (chart) {
        var canvas = document.querySelector('canvas[data-chart="' + chart.id + '"]');
        if (!canvas) {
            return;
        }

        canvas.closest('[data-chart-box]').hidden = false;
        var series = chart.series || [{ values: chart.values }];
        var scales = {};
        series.forEach(function (s) {
            if (s.axis === 'y1') {
                scales.y1 = { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } };
            }
        });
        var links = chart.links;
        new window.Chart(canvas, {
            type: 'bar',
            data: {
                labels: chart.labels,
                datasets: series.map(function (s, i) {
                    return {
                        type: s.type || 'bar', label: s.label, data: s.values, yAxisID: s.axis || 'y',
                        backgroundColor: colors[i % colors.length], borderColor: colors[i % colors.length], spanGaps: true
                    };
                })
            },
            options: {
                maintainAspectRatio: false,
                indexAxis: !chart.series && chart.labels.length > 5 ? 'y' : 'x',
                scales: scales,
                plugins: { legend: { display: !!chart.series } },
                onClick: function (event, elements) {
                    if (links && elements.length > 0) {
                        window.location.href = links[elements[0].index];
                    }
                },
                onHover: function (event, elements) {
                    event.native.target.style.cursor = links && elements.length > 0 ? 'pointer' : 'default';
                }
            }
        });
    });
}());
