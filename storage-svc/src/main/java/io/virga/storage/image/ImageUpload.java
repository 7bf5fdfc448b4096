package io.virga.storage.image;

import static io.virga.platform.grpc.GrpcErrors.exhausted;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The bytes of one upload, on their way into a temp file: counted, hashed
 * (SHA-256) and capped. Made by {@link ImageService#beginUpload}, finished by
 * {@link ImageService#finishUpload} or {@link ImageService#abortUpload}.
 *
 * <p>Not thread-safe: call it from one thread at a time (successive calls may
 * come from different threads if each happens-before the next).
 */
public final class ImageUpload {
    private final String projectId;
    private final String imageId;
    private final Path tempFile;
    private final long maxBytes;
    private final FileChannel channel;
    private final MessageDigest digest;
    private long size;
    private boolean closed;
    private boolean ended;

    ImageUpload(String projectId, String imageId, Path tempFile, long maxBytes) throws IOException {
        this.projectId = projectId;
        this.imageId = imageId;
        this.tempFile = tempFile;
        this.maxBytes = maxBytes;
        this.channel = FileChannel.open(tempFile, StandardOpenOption.WRITE);
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public String projectId() {
        return projectId;
    }

    public String imageId() {
        return imageId;
    }

    public long size() {
        return size;
    }

    Path tempFile() {
        return tempFile;
    }

    /**
     * Appends {@code data}.
     *
     * @throws io.grpc.StatusRuntimeException RESOURCE_EXHAUSTED when the upload would exceed the
     *                                        maximum image size (nothing of {@code data} is written)
     */
    public void write(ByteString data) throws IOException {
        if (closed) {
            throw new IllegalStateException("upload of " + imageId + " is closed");
        }
        if (data.size() > maxBytes - size) {
            throw exhausted("image data exceeds the maximum image size of " + maxBytes + " bytes");
        }
        for (ByteBuffer buffer : data.asReadOnlyByteBufferList()) {
            digest.update(buffer.duplicate());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        size += data.size();
    }

    /** Flushes the data to stable storage, closes the file and returns the lower-case hex SHA-256. */
    String seal() throws IOException {
        channel.force(true);
        close();
        return HexFormat.of().formatHex(digest.digest());
    }

    /** True the first time only: the upload's outcome is counted once. */
    boolean end() {
        boolean first = !ended;
        ended = true;
        return first;
    }

    /** Closes the file; idempotent. The temp file itself is removed by the service. */
    void close() throws IOException {
        if (!closed) {
            closed = true;
            channel.close();
        }
    }
}
