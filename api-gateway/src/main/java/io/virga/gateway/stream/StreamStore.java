package io.virga.gateway.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.virga.platform.db.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads and prunes {@code stream_events} (written by {@link StreamRecorder}). */
@ApplicationScoped
public class StreamStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Tx tx;

    public StreamStore(Tx tx) {
        this.tx = tx;
    }

    /** The highest recorded seq (0 when none). */
    public long head() {
        return tx.run(c -> head(c));
    }

    static long head(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM stream_events");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The highest seq ever pruned: a resume from below it may have missed events. */
    public long prunedThrough() {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pruned_through FROM stream_retention WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** Up to {@code limit} events with {@code after < seq <= upTo}, of {@code project} (null: all), by seq. */
    public List<StreamEvent> page(String project, long after, long upTo, int limit) {
        return tx.run(c -> {
            String sql = "SELECT seq, project_id, type, subject, event_time, data FROM stream_events"
                    + " WHERE seq > ? AND seq <= ?" + (project == null ? "" : " AND project_id = ?")
                    + " ORDER BY seq LIMIT ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int n = 1;
                ps.setLong(n++, after);
                ps.setLong(n++, upTo);
                if (project != null) {
                    ps.setString(n++, project);
                }
                ps.setInt(n, limit);
                return rows(ps);
            }
        });
    }

    /** The next events of every project after {@code after}, by seq (the tailer's read). */
    static List<StreamEvent> next(Connection c, long after, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, project_id, type, subject, event_time, data"
                + " FROM stream_events WHERE seq > ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, after);
            ps.setInt(2, limit);
            return rows(ps);
        }
    }

    /** Deletes events received before {@code before}; remembers the highest seq deleted. Returns the count. */
    public int prune(Instant before) {
        return tx.run(c -> {
            long max;
            int count;
            try (PreparedStatement ps = c.prepareStatement("WITH gone AS (DELETE FROM stream_events"
                    + " WHERE received_at < ? RETURNING seq) SELECT count(*), coalesce(max(seq), 0) FROM gone")) {
                ps.setTimestamp(1, Timestamp.from(before));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    count = rs.getInt(1);
                    max = rs.getLong(2);
                }
            }
            if (count > 0) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE stream_retention"
                        + " SET pruned_through = greatest(pruned_through, ?) WHERE id = 1")) {
                    ps.setLong(1, max);
                    ps.executeUpdate();
                }
            }
            return count;
        });
    }

    private static List<StreamEvent> rows(PreparedStatement ps) throws SQLException {
        List<StreamEvent> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                try {
                    out.add(new StreamEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant(), JSON.readTree(rs.getString(6))));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new SQLException("unreadable stream event " + rs.getLong(1), e);
                }
            }
        }
        return out;
    }
}
