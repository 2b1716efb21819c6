using System.Diagnostics;
using System.Globalization;

namespace CaseCrm.DataGenerator;

/// <summary>
/// A console progress bar for one table: redrawn in place on a terminal, one line per 10 % when the output is a file
/// (the benchmark script keeps the generator's output in a log).
/// </summary>
internal sealed class Progress(string label, long total)
{
    private const int Width = 30;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsOutputRedirected;
    private long _done;
    private int _lastTenth = -1;
    private long _lastDraw;

    public void Advance(long rows = 1)
    {
        _done += rows;
        if (_interactive)
        {
            if (_clock.ElapsedMilliseconds - _lastDraw >= 200 || _done == total)
            {
                _lastDraw = _clock.ElapsedMilliseconds;
                Console.Write("\r" + Line());
            }
        }
        else
        {
            var tenth = total == 0 ? 10 : (int)(_done * 10 / total);
            if (tenth != _lastTenth)
            {
                _lastTenth = tenth;
                Console.WriteLine(Line());
            }
        }
    }

    public void Finish()
    {
        if (_interactive)
        {
            Console.WriteLine("\r" + Line());
        }
        else if (_lastTenth != 10)
        {
            Console.WriteLine(Line());
        }
    }

    private string Line()
    {
        var fraction = total == 0 ? 1 : Math.Min(1, (double)_done / total);
        var filled = (int)(fraction * Width);
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        return string.Create(CultureInfo.InvariantCulture,
            $"{label,-9} [{new string('#', filled)}{new string('-', Width - filled)}] {fraction,4:P0} {_done,10:N0}/{total:N0}  {_done / seconds,9:N0} rows/s  {seconds,6:F1} s");
    }
}
