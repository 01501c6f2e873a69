package org.flinkconnectors.odps.testutils;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Small text helpers for the hand-written XML answers and partition specs. */
final class Xml {

    private Xml() {}

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    /** Reverses {@link #escape} and the other entities an XML writer may use. */
    static String unescape(String text) {
        return text.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    /** The text of the first {@code <element>} in {@code xml}, unescaped, or {@code null}. */
    static String element(String xml, String element) {
        int start = xml.indexOf("<" + element + ">");
        if (start < 0) {
            return null;
        }
        start += element.length() + 2;
        int end = xml.indexOf("</" + element + ">", start);
        if (end < 0) {
            return null;
        }
        String text = xml.substring(start, end);
        if (text.startsWith("<![CDATA[") && text.endsWith("]]>")) {
            return text.substring("<![CDATA[".length(), text.length() - "]]>".length());
        }
        return unescape(text);
    }

    static String cdata(String text) {
        return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>";
    }

    static String rfc822(long epochMillis) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC));
    }

    /** {@code k1=v1,k2=v2} (or with '/') as ordered entries; keys lower case, quotes removed. */
    static List<Map.Entry<String, String>> specEntries(String spec) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String part : spec.split("[,/]")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw ServerException.badRequest(
                        "InvalidPartitionSpec", "Invalid partition spec '" + spec + "'.");
            }
            out.add(
                    new AbstractMap.SimpleImmutableEntry<>(
                            part.substring(0, eq).trim().toLowerCase(Locale.ROOT),
                            part.substring(eq + 1).trim().replace("'", "").replace("\"", "")));
        }
        return out;
    }

    static Map<String, String> specMap(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> kv : specEntries(spec)) {
            out.put(kv.getKey(), kv.getValue());
        }
        return out;
    }
}
