package io.lungflow.schemas;

import java.util.regex.Pattern;

/** What a scan id looks like (the contracts' {@code scanId} pattern): 36 characters, lower-case hex in UUID groups. */
public final class ScanIdFormat {

    private static final Pattern SCAN_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private ScanIdFormat() {
    }

    public static boolean isScanId(String text) {
        return text != null && SCAN_ID.matcher(text).matches();
    }

    /** The message for a path that does not hold a scan id (the value itself is not repeated: it may hold anything). */
    public static String problemDetail() {
        return "That is not a scan id: a scan id is 36 characters of lower-case hex in UUID groups (8-4-4-4-12), as the upload "
                + "answered.";
    }
}
