package org.flinkconnectors.odps.testutils;

/** One schema of a three-tier project held by the {@link OdpsTestServer}: name and comment. */
public final class ServerSchema {

    private final String project;
    private final String name;
    private final String comment;
    private final long createdAtMillis = System.currentTimeMillis();

    ServerSchema(String project, String name, String comment) {
        this.project = project;
        this.name = name;
        this.comment = comment;
    }

    public String project() {
        return project;
    }

    public String name() {
        return name;
    }

    /** The comment, or {@code null}. */
    public String comment() {
        return comment;
    }

    long createdAtMillis() {
        return createdAtMillis;
    }
}
