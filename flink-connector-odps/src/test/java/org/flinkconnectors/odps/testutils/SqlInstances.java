package org.flinkconnectors.odps.testutils;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL instances: {@code POST /projects/p/instances} runs the statement of an SQL task at once
 * through {@link SqlDdl}; the instance is then terminated and its task status and result can be
 * polled the way {@code Instance#waitForSuccess} does.
 */
final class SqlInstances {

    private static final Pattern QUERY = Pattern.compile("<Query>(.*?)</Query>", Pattern.DOTALL);
    private static final Pattern TASK_NAME =
            Pattern.compile("<SQL[^>]*>.*?<Name>(.*?)</Name>", Pattern.DOTALL);

    private final SqlDdl ddl;
    private final String restAddress;
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis() * 1000);

    SqlInstances(SqlDdl ddl, String restAddress) {
        this.ddl = ddl;
        this.restAddress = restAddress;
    }

    ServerResponse handle(ServerRequest request, String project, String instanceId)
            throws Exception {
        if (instanceId == null && request.method().equals("POST")) {
            return create(request, project);
        }
        Outcome outcome = instanceId == null ? null : outcomes.get(instanceId);
        if (outcome == null) {
            throw ServerException.notFound("NoSuchObject", "Instance not found: " + instanceId);
        }
        if (request.has("taskstatus")) {
            return ServerResponse.xml(
                    200,
                    "<Instance><Status>Terminated</Status><Tasks><Task Type=\"SQL\"><Name>"
                            + Xml.escape(outcome.taskName)
                            + "</Name><Status>"
                            + (outcome.failed ? "Failed" : "Success")
                            + "</Status></Task></Tasks></Instance>");
        }
        if (request.has("result")) {
            return ServerResponse.xml(
                    200,
                    "<Instance><Tasks><Task Type=\"SQL\"><Name>"
                            + Xml.escape(outcome.taskName)
                            + "</Name><Result Transform=\"false\" Format=\"text\">"
                            + Xml.cdata(outcome.result)
                            + "</Result></Task></Tasks></Instance>");
        }
        String now = Xml.rfc822(System.currentTimeMillis());
        return ServerResponse.xml(200, "<Instance><Status>Terminated</Status></Instance>")
                .header("x-odps-owner", "ALIYUN$test")
                .header("x-odps-start-time", now)
                .header("x-odps-end-time", now);
    }

    private ServerResponse create(ServerRequest request, String project) throws Exception {
        String xml = new String(request.bodyBytes(), StandardCharsets.UTF_8);
        Matcher query = QUERY.matcher(xml);
        if (!query.find()) {
            throw ServerException.badRequest(
                    "InvalidArgument", "Only SQL tasks are supported by OdpsTestServer.");
        }
        Matcher name = TASK_NAME.matcher(xml);
        String taskName = name.find() ? name.group(1) : "AnonymousSQLTask";
        String sql = unescape(query.group(1).trim());
        Outcome outcome;
        try {
            outcome =
                    new Outcome(
                            taskName,
                            false,
                            ddl.execute(project, request.param("curr_schema"), sql));
        } catch (IllegalArgumentException | IllegalStateException e) {
            outcome = new Outcome(taskName, true, e.getMessage());
        }
        String id = Long.toString(ids.incrementAndGet());
        outcomes.put(id, outcome);
        return ServerResponse.empty(201)
                .header("Location", restAddress + "/projects/" + project + "/instances/" + id);
    }

    private static String unescape(String text) {
        if (text.startsWith("<![CDATA[") && text.endsWith("]]>")) {
            return text.substring("<![CDATA[".length(), text.length() - "]]>".length());
        }
        return text.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    private static final class Outcome {
        final String taskName;
        final boolean failed;
        final String result;

        Outcome(String taskName, boolean failed, String result) {
            this.taskName = taskName;
            this.failed = failed;
            this.result = result;
        }
    }
}
