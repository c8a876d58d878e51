using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace SafetyPrograms.Tests.Support;

/// <summary>What a page did when a real browser loaded it.</summary>
/// <param name="ConsoleErrors">Console errors, uncaught exceptions and browser log errors, in order.</param>
/// <param name="NetworkRequests">Every request the page made for anything but itself (none for a self-contained page).</param>
internal sealed record PageLoad(IReadOnlyList<string> ConsoleErrors, IReadOnlyList<string> NetworkRequests);

/// <summary>
/// Debian's Chromium, headless, driven over the Chrome DevTools Protocol on a WebSocket: loads a file, records console
/// errors and network requests, evaluates script in the page and takes screenshots. Nothing leaves the machine: host
/// names resolve nowhere, so a page that tries to fetch something shows up as a request, not as a download.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _profile;
    private readonly StringBuilder _log = new();
    private readonly ClientWebSocket _socket = new();
    private readonly List<JsonObject> _events = [];
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Starts the browser with a fresh profile and a page of <paramref name="width"/> × <paramref name="height"/> CSS pixels.</summary>
    public static async Task<HeadlessChromium> StartAsync(int width = 1280, int height = 900)
    {
        var executable = ExternalTool.Find("chromium") ?? throw new InvalidOperationException("chromium is not installed.");
        var profile = Directory.CreateTempSubdirectory("sp-chromium-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-sync", "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--remote-debugging-port=0", $"--user-data-dir={profile}",
            $"--window-size={width},{height}", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start.");
        var browser = new HeadlessChromium(process, profile);
        // Drained so that the browser never blocks on a full pipe; kept to explain a failure to start.
        process.ErrorDataReceived += (_, e) => { lock (browser._log) { browser._log.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await browser.ConnectAsync(width, height);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private async Task ConnectAsync(int width, int height)
    {
        // Chromium writes the port it chose into the profile once its DevTools server listens.
        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow + Timeout;
        while (!File.Exists(portFile) || new FileInfo(portFile).Length == 0)
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                lock (_log)
                {
                    throw new InvalidOperationException($"chromium did not open its DevTools port: {_log}");
                }
            }
            await Task.Delay(50);
        }
        var port = int.Parse((await File.ReadAllLinesAsync(portFile))[0], System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var targets = JsonNode.Parse(await http.GetStringAsync(new Uri("/json/list", UriKind.Relative)))!.AsArray();
        var page = targets.First(t => (string?)t!["type"] == "page")!;
        await _socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
        foreach (var domain in new[] { "Page", "Runtime", "Log", "Network" })
        {
            await SendAsync($"{domain}.enable");
        }
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
        {
            ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false,
        });
    }

    /// <summary>Loads <paramref name="file"/> and waits for its load event; reports console errors and network requests.</summary>
    public async Task<PageLoad> LoadAsync(string file)
    {
        var url = new Uri(Path.GetFullPath(file)).AbsoluteUri;
        _events.Clear();
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        await WaitForEventAsync("Page.loadEventFired");
        // Give late console messages and requests a moment to arrive.
        await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = "new Promise(r => setTimeout(r, 200))", ["awaitPromise"] = true });
        var errors = new List<string>();
        var requests = new List<string>();
        foreach (var e in _events)
        {
            var parameters = e["params"]!;
            switch ((string?)e["method"])
            {
                case "Runtime.consoleAPICalled" when (string?)parameters["type"] is "error" or "assert":
                    errors.Add(parameters["args"]!.ToJsonString());
                    break;
                case "Runtime.exceptionThrown":
                    errors.Add(parameters["exceptionDetails"]!.ToJsonString());
                    break;
                case "Log.entryAdded" when (string?)parameters["entry"]!["level"] == "error":
                    errors.Add((string?)parameters["entry"]!["text"] ?? "");
                    break;
                case "Network.requestWillBeSent" when (string?)parameters["request"]!["url"] is { } requested && requested != url:
                    requests.Add(requested);
                    break;
            }
        }
        return new PageLoad(errors, requests);
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page and returns its value as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result["exceptionDetails"] is { } failure)
        {
            throw new InvalidOperationException($"The page's script failed: {failure.ToJsonString()}");
        }
        return result["result"]!["value"];
    }

    /// <summary>A PNG of what the page shows in its viewport (the first screen).</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        return Convert.FromBase64String((string)result["data"]!);
    }

    /// <summary>Styles the page as for print (CSS <c>@media print</c>), as the print dialog does.</summary>
    public async Task EmulatePrintAsync() => await SendAsync("Emulation.setEmulatedMedia", new JsonObject { ["media"] = "print" });

    /// <summary>The page printed as a PDF on A4 paper, as the browser's print dialog would.</summary>
    public async Task<byte[]> PrintA4Async()
    {
        var result = await SendAsync("Page.printToPDF", new JsonObject
        {
            ["paperWidth"] = 8.27, ["paperHeight"] = 11.69, ["printBackground"] = true,
        });
        return Convert.FromBase64String((string)result["data"]!);
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        while (true)
        {
            var reply = await ReceiveAsync();
            if ((int?)reply["id"] == id)
            {
                return reply["error"] is { } error
                    ? throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}")
                    : reply["result"]!.AsObject();
            }
        }
    }

    private async Task WaitForEventAsync(string method)
    {
        if (_events.Any(e => (string?)e["method"] == method))
        {
            return;
        }
        while ((string?)(await ReceiveAsync())["method"] != method)
        {
        }
    }

    /// <summary>The next message; events are kept for <see cref="LoadAsync"/>.</summary>
    private async Task<JsonObject> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        WebSocketReceiveResult received;
        do
        {
            received = await _socket.ReceiveAsync(chunk, timeout.Token);
            buffer.Write(chunk, 0, received.Count);
        }
        while (!received.EndOfMessage);
        var message = JsonNode.Parse(buffer.ToArray())!.AsObject();
        if (message["method"] is not null)
        {
            _events.Add(message);
        }
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium's helpers may still hold files for a moment; the directory is a temporary one.
        }
    }
}
