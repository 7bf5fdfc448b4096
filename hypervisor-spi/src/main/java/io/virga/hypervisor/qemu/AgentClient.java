package io.virga.hypervisor.qemu;

import io.virga.hypervisor.HypervisorException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Talks to the guest agent of the project's guest image (a shell loop on the guest's second serial port,
 * reached through QEMU's {@code agent.sock}): one command line out, one answer line back.
 */
final class AgentClient {
    private AgentClient() {
    }

    /**
     * Sends {@code command} and returns the first non-empty answer line, retrying until {@code timeout}
     * (the agent starts once the guest OS has booted).
     */
    static String ask(Path socket, String command, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastError = "no answer";
        while (System.nanoTime() < deadline) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ch.configureBlocking(false);
                ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                String line = readLine(ch, command, Math.min(3000, remainingMs(deadline)));
                if (line != null) {
                    return line;
                }
            } catch (IOException e) {
                lastError = e.getMessage();
            }
            QemuProcesses.sleep(200);
        }
        throw new HypervisorException("guest agent on " + socket + " did not answer '" + command + "' within "
                + timeout + " (" + lastError + ")");
    }

    /** The first non-empty line that is not the echo of {@code command} (the port echoes until the agent sets it raw). */
    private static String readLine(SocketChannel ch, String command, long waitMs) throws IOException {
        long deadline = System.nanoTime() + waitMs * 1_000_000L;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try (Selector sel = Selector.open()) {
            ch.register(sel, SelectionKey.OP_READ);
            while (System.nanoTime() < deadline) {
                sel.select(Math.max(1, remainingMs(deadline)));
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    return null;
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n' || b == '\r') {
                        String s = line.toString(StandardCharsets.UTF_8).strip();
                        line.reset();
                        if (!s.isEmpty() && !s.equals(command)) {
                            return s;
                        }
                    } else {
                        line.write(b);
                    }
                }
            }
        }
        return null;
    }

    private static long remainingMs(long deadline) {
        return Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
    }
}
