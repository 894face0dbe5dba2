using System.Diagnostics;
using System.IO.Pipes;
using Gevent.Patches;
using Gevent.Tests.Patches.Sockets;

namespace Gevent.Tests.Patches.Pipes;

[Collection(SequentialCollection.Name)]
public class PipeAndConsoleTests
{
    [Fact]
    public void AFifoReadAndWrittenThroughFileStreamIsOffloadedAndARegularFileIsNot()
    {
        var directory = Directory.CreateTempSubdirectory("gevent-fifo");
        try
        {
            var path = Path.Combine(directory.FullName, "fifo");
            using (var mkfifo = Process.Start("mkfifo", [path]))
            {
                mkfifo.WaitForExit();
            }

            // Opening a FIFO blocks until both ends are open.
            FileStream? readEnd = null;
            var opener = new Thread(() => readEnd = new FileStream(path, FileMode.Open, FileAccess.Read));
            opener.Start();
            using var writer = new FileStream(path, FileMode.Open, FileAccess.Write);
            opener.Join();
            using var reader = readEnd!;
            Assert.True(PipeIo.IsPipe(reader));
            using (var regular = File.OpenRead(typeof(PipeAndConsoleTests).Assembly.Location))
            {
                Assert.False(PipeIo.IsPipe(regular));
            }

            HubTest.Run(() =>
            {
                using var ticker = new Ticker();
                var read = Greenlet.Spawn(() =>
                {
                    var buffer = new byte[8];
                    var count = StreamPatches.Read(reader, buffer, 0, 2);
                    count += StreamPatches.Read(reader, buffer.AsSpan(count));
                    return count;
                });
                ticker.SleepWhileTicking(TimeSpan.FromMilliseconds(200));
                Assert.False(read.Dead);
                StreamPatches.Write(writer, [1, 2], 0, 2);
                writer.Flush();
                Greenlet.Sleep(TimeSpan.FromMilliseconds(20));
                StreamPatches.Write(writer, new byte[] { 3 }.AsSpan());
                writer.Flush();
                Assert.Equal(3, read.Get(SocketKit.Generous));
                ticker.AssertKeptRunning("while a greenlet read the pipe");
            });
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void ConsoleReadsMatchTheOriginalsAndInAGreenletLeaveTheHubRunning()
    {
        var original = Console.In;
        try
        {
            Console.SetIn(new StringReader("a\nbc"));
            Assert.Equal("a", ConsolePatches.ReadLine());
            Assert.Equal('b', ConsolePatches.Read());
            Assert.Equal("c", Console.ReadLine());
            Assert.Null(ConsolePatches.ReadLine());

            using var input = new AnonymousPipeServerStream(PipeDirection.Out);
            using var inputEnd = new AnonymousPipeClientStream(PipeDirection.In, input.ClientSafePipeHandle);
            Console.SetIn(new StreamReader(inputEnd));
            HubTest.Run(() =>
            {
                using var ticker = new Ticker();
                var line = Greenlet.Spawn(ConsolePatches.ReadLine);
                ticker.SleepWhileTicking(TimeSpan.FromMilliseconds(200));
                Assert.False(line.Dead);
                input.Write("hello\nw"u8);
                Assert.Equal("hello", line.Get(SocketKit.Generous));
                Assert.Equal('w', ConsolePatches.Read());
                ticker.AssertKeptRunning("while a greenlet read the console");
            });
        }
        finally
        {
            Console.SetIn(original);
        }
    }
}
