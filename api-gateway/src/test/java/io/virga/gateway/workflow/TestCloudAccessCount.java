package io.virga.gateway.workflow;

import io.virga.platform.db.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** One count query (tests). */
final class TestCloudAccessCount {
    private TestCloudAccessCount() {
    }

    static long of(Tx tx, String sql, String arg) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, arg);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
