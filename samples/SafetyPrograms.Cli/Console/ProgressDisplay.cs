using System.Diagnostics;
using System.Globalization;

namespace SafetyPrograms.Cli.Console;

/// <summary>
/// A one-line progress bar on standard error. It draws only when standard error is a terminal, so redirected output
/// and CI logs stay quiet, and it redraws at most ten times a second so that it costs nothing on a hot loop.
/// </summary>
internal sealed class ProgressDisplay : IDisposable
{
    private readonly string _label;
    private readonly long _total;
    private readonly bool _enabled;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDrawMs = -1000;

    public ProgressDisplay(string label, long total, bool? enabled = null)
    {
        _label = label;
        _total = Math.Max(total, 1);
        _enabled = enabled ?? !System.Console.IsErrorRedirected;
    }

    public void Report(long done)
    {
        if (!_enabled || _clock.ElapsedMilliseconds - _lastDrawMs < 100)
        {
            return;
        }
        _lastDrawMs = _clock.ElapsedMilliseconds;
        Draw(done);
    }

    public void Dispose()
    {
        if (_enabled)
        {
            Draw(_total);
            System.Console.Error.WriteLine();
        }
    }

    private void Draw(long done)
    {
        const int width = 30;
        var share = Math.Clamp((double)done / _total, 0, 1);
        var filled = (int)(share * width);
        var bar = new string('#', filled) + new string('-', width - filled);
        System.Console.Error.Write(string.Create(
            CultureInfo.InvariantCulture, $"\r{_label} [{bar}] {share,4:P0} {done:N0}/{_total:N0}"));
    }
}
