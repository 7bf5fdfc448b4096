package io.virga.gateway.instance;

import javax.sql.DataSource;

/** Opens {@link TestCloud}'s helpers to tests of other packages. */
public final class TestCloudAccess {
    private TestCloudAccess() {
    }

    /** A new project (with a member token); returns its id. */
    public static String newProject() {
        return TestCloud.newMember().projectId();
    }

    /** Makes the vm flavor unless it exists; returns its name. */
    public static String flavor(String name, int vcpus, long ramMb, int diskGb) {
        return TestCloud.flavor(name, vcpus, ramMb, diskGb, "vm");
    }

    /** Starts the fakes and waits until the power-state consumer runs. */
    public static void awaitConsumer(DataSource ds) {
        TestCloud.fakes(ds);
    }
}
