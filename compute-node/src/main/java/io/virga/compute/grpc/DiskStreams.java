package io.virga.compute.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.virga.contracts.compute.v1.DataChunk;
import io.virga.hypervisor.DiskFormat;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Disk images as {@link DataChunk} streams. Outgoing (snapshot, export): the driver writes the image to
 * a temporary file in the node's state directory, which is then streamed in 1 MiB chunks (the first
 * carries the format, the last {@code last=true} and the sha256 of all bytes) and removed whatever
 * happens. Incoming (import): the chunks are written to a temporary file, checked against the last
 * chunk's sha256, and handed to the driver; the file is removed afterwards.
 */
final class DiskStreams {
    static final int CHUNK_BYTES = 1 << 20;

    /** Writes what a driver writes; returns the format written. */
    interface Writer {
        DiskFormat write(OutputStream out);
    }

    /** Takes an incoming image. */
    interface Reader {
        void read(String instanceId, DiskFormat format, InputStream in);
    }

    private final Path tmpDir;

    DiskStreams(Path tmpDir) {
        this.tmpDir = tmpDir;
    }

    private record Written(Path file, DiskFormat format) {
    }

    Multi<DataChunk> outgoing(Writer writer) {
        AtomicReference<Path> temp = new AtomicReference<>();
        return Uni.createFrom().item(() -> {
            Path file = newTempFile();
            temp.set(file);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                return new Written(file, writer.write(out));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onItem().transformToMulti(w -> Multi.createFrom().<DataChunk>iterable(() -> chunks(w)))
                .onFailure().transform(DiskStreams::status)
                .onTermination().invoke(() -> delete(temp.get()));
    }

    private static Iterator<DataChunk> chunks(Written w) {
        try {
            long size = Files.size(w.file());
            InputStream in = Files.newInputStream(w.file());
            MessageDigest sha = sha256();
            long count = Math.max(1, (size + CHUNK_BYTES - 1) / CHUNK_BYTES);
            return new Iterator<>() {
                long next;

                @Override
                public boolean hasNext() {
                    return next < count;
                }

                @Override
                public DataChunk next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    try {
                        byte[] data = in.readNBytes(CHUNK_BYTES);
                        sha.update(data);
                        DataChunk.Builder c = DataChunk.newBuilder().setData(ByteString.copyFrom(data));
                        if (next == 0) {
                            c.setFormat(WireEnums.format(w.format()));
                        }
                        if (++next == count) {
                            in.close();
                            c.setLast(true).setSha256(HexFormat.of().formatHex(sha.digest()));
                        }
                        return c.build();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Receives one image; the first chunk names the instance and the format, the last has the sha256. */
    private final class Incoming {
        private final Path file = newTempFile();
        private final OutputStream out;
        private final MessageDigest sha = sha256();
        private String instanceId;
        private DiskFormat format;
        private String expectedSha;
        private long bytes;
        private boolean ended;

        Incoming() {
            try {
                out = new BufferedOutputStream(Files.newOutputStream(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void add(DataChunk c) {
            if (ended) {
                throw invalid("data", "a chunk came after the last one");
            }
            if (instanceId == null) {
                instanceId = SpawnRequests.instanceId(c.getInstanceId());
                format = WireEnums.format(c.getFormat());
                if (format == null) {
                    throw invalid("format", "the first chunk must name the format (raw, qcow2, tar)");
                }
            }
            try {
                c.getData().writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sha.update(c.getData().asReadOnlyByteBuffer());
            bytes += c.getData().size();
            if (c.getLast()) {
                ended = true;
                expectedSha = c.getSha256();
            }
        }

        long finish(Reader reader) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (instanceId == null || !ended) {
                throw invalid("last", "the stream ended without a chunk with last = true");
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!expectedSha.isEmpty() && !expectedSha.equalsIgnoreCase(actual)) {
                throw invalid("sha256", "the data's sha256 is " + actual + ", the last chunk says " + expectedSha);
            }
            try (InputStream in = Files.newInputStream(file)) {
                reader.read(instanceId, format, in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes;
        }

        void delete() {
            try {
                out.close();
            } catch (IOException e) {
                // already closed or broken: the file goes anyway
            }
            DiskStreams.delete(file);
        }
    }

    /** Takes the stream into the driver; returns the number of bytes received. */
    Uni<Long> incoming(Multi<DataChunk> chunks, Reader reader) {
        AtomicReference<Incoming> holder = new AtomicReference<>();
        return chunks.emitOn(Infrastructure.getDefaultWorkerPool())
                .collect().in(() -> {
                    Incoming in = new Incoming();
                    holder.set(in);
                    return in;
                }, Incoming::add)
                .map(in -> in.finish(reader))
                .onFailure().transform(DiskStreams::status)
                .onTermination().invoke(() -> {
                    if (holder.get() != null) {
                        holder.get().delete();
                    }
                });
    }

    private Path newTempFile() {
        try {
            Files.createDirectories(tmpDir);
            return Files.createTempFile(tmpDir, "disk-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary file in " + tmpDir + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                org.jboss.logging.Logger.getLogger(DiskStreams.class).warnf("cannot remove %s: %s", file, e.getMessage());
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static io.grpc.StatusRuntimeException invalid(String field, String reason) {
        return io.virga.platform.grpc.GrpcErrors.invalidArgument(field, reason);
    }

    private static Throwable status(Throwable t) {
        if (t instanceof UncheckedIOException e) {
            return Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException();
        }
        return ComputeErrors.toStatus(t);
    }

}
