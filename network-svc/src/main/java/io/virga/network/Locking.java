package io.virga.network;

/** Row lock to take while reading a row inside a transaction. */
public enum Locking {
    /** Plain read. */
    NONE(""),
    /** Others may read and share-lock, nobody may change or delete the row until commit. */
    SHARE(" FOR SHARE"),
    /** Exclusive until commit. */
    UPDATE(" FOR UPDATE");

    private final String sql;

    Locking(String sql) {
        this.sql = sql;
    }

    /** The SQL suffix, e.g. {@code " FOR UPDATE"}. */
    public String sql() {
        return sql;
    }
}
