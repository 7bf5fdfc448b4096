package io.virga.devstack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresServerTest {

    @TempDir
    Path tmp;

    /** One server for the tests that do not stop or restart it. */
    private static PostgresServer shared;

    @BeforeAll
    static void startShared(@TempDir Path dir) {
        shared = PostgresServer.builder(dir.resolve("pg")).durable(false).start();
    }

    @AfterAll
    static void stopShared() {
        shared.close();
    }

    @Test
    void createsDatabaseIdempotentlyAndRunsSql() throws SQLException {
        PostgresServer pg = shared;
        pg.createDatabase("virga_test");
        pg.createDatabase("virga_test");
        assertEquals("jdbc:postgresql://127.0.0.1:" + pg.port() + "/virga_test", pg.jdbcUrl("virga_test"));
        try (Connection c = pg.connect("virga_test"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id int PRIMARY KEY, name text)");
            s.execute("INSERT INTO t VALUES (1, 'one'), (2, 'two')");
            try (ResultSet rs = s.executeQuery("SELECT count(*), current_user, inet_server_addr() FROM t")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getInt(1));
                assertEquals("postgres", rs.getString(2));
                assertEquals("127.0.0.1", rs.getString(3));
            }
        }
    }

    @Test
    void refusesBadDatabaseNames() {
        assertThrows(IllegalArgumentException.class, () -> shared.createDatabase("x; DROP DATABASE postgres"));
    }

    @Test
    void refusesAPortInUseWithAClearMessage() {
        DevstackException e = assertThrows(DevstackException.class,
                () -> PostgresServer.builder(tmp.resolve("b")).port(shared.port()).durable(false).start());
        assertTrue(e.getMessage().contains("port " + shared.port()), e.getMessage());
    }

    @Test
    void keepsDataAcrossRestartOnTheSameDataDir() throws SQLException {
        Path data = tmp.resolve("kept");
        int port;
        try (PostgresServer pg = PostgresServer.start(data, 0)) {
            port = pg.port();
            pg.createDatabase("virga_keep");
            try (Connection c = pg.connect("virga_keep"); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('survives')");
            }
        }
        assertTrue(Ports.isFree(port), "stopped server released its port");
        try (PostgresServer pg = PostgresServer.start(data, 0)) {
            try (Connection c = pg.connect("virga_keep"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertTrue(rs.next());
                assertEquals("survives", rs.getString(1));
            }
        }
    }

    @Test
    void stopIsIdempotentAndEndsTheProcess() {
        PostgresServer pg = PostgresServer.builder(tmp.resolve("stop")).durable(false).start();
        long pid = pg.pid();
        pg.stop();
        pg.stop();
        assertFalse(pg.isRunning());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void aPortTakenBetweenAllocationAndBindIsReplacedByAFreshOne() throws Exception {
        try (ServerSocket thief = new ServerSocket()) {
            thief.bind(new InetSocketAddress(Ports.LOOPBACK, Ports.allocate()));
            int taken = thief.getLocalPort();
            AtomicInteger asked = new AtomicInteger();
            // the first port handed out is already bound by someone else, as when another build wins the race
            IntSupplier source = () -> asked.getAndIncrement() == 0 ? taken : Ports.allocate();
            try (PostgresServer pg = PostgresServer.builder(tmp.resolve("race")).durable(false)
                    .portSource(source).start()) {
                assertNotEquals(taken, pg.port());
                assertEquals(2, asked.get(), "one fresh port after the failed bind");
                try (Connection c = pg.connect("postgres")) {
                    assertTrue(c.isValid(5));
                }
                assertTrue(Files.readString(pg.logFile()).contains("could not bind"), "the first attempt failed to bind");
            }
        }
    }
}
