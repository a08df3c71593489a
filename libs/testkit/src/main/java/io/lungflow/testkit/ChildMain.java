package io.lungflow.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Entry point of a child JVM started by the test kit or the local launcher: runs another
 * program's {@code main}, and halts as soon as standard input closes, which happens when the
 * parent dies. A crashed or killed test run therefore never leaves servers behind.
 *
 * <p>Usage: {@code java -cp ... io.lungflow.testkit.ChildMain <main class> [args...]}
 */
public final class ChildMain {

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ChildMain <main class> [args...]");
            System.exit(2);
        }
        Thread watchdog = new Thread(ChildMain::haltWhenParentGoes, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            Class.forName(args[0])
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void haltWhenParentGoes() {
        InputStream in = System.in;
        byte[] buffer = new byte[64];
        try {
            while (in.read(buffer) >= 0) {
                // Nothing is ever sent; reading only waits for the end of the stream.
            }
        } catch (IOException e) {
            // A broken pipe means the parent is gone as well.
        }
        Runtime.getRuntime().halt(0);
    }

    private ChildMain() {
    }
}
