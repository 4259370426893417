/*
 * Start DynamoDB Local with its HTTP connector bound to one address (127.0.0.1 by default).
 *
 * DynamoDB Local has no bind option: its Jetty connector listens on every interface. This
 * launcher builds the server exactly as DynamoDB Local's own ServerRunner does, sets the
 * connector's host before the server starts, and starts it. It never configures telemetry,
 * so no telemetry code runs whatever the arguments say.
 *
 * Only reflection touches DynamoDB Local's classes, so the file compiles against the JDK
 * alone (javac --release 17), which keeps the build reproducible; see build.py.
 */
package ddbmatrix;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

public final class LoopbackLauncher {
    private static final String RUNNER = "software.amazon.dynamodb.services.local.main.ServerRunner";

    private LoopbackLauncher() {
    }

    public static void main(String[] args) throws Exception {
        String host = System.getProperty("ddbmatrix.host", "127.0.0.1");
        Method create = Class.forName(RUNNER).getMethod("createServerFromCommandLineArgs", String[].class);
        Object proxy = create.invoke(null, (Object) args);
        Field field = proxy.getClass().getDeclaredField("server");
        field.setAccessible(true);
        Object jetty = field.get(proxy);
        Object[] connectors = (Object[]) jetty.getClass().getMethod("getConnectors").invoke(jetty);
        if (connectors.length == 0) {
            throw new IllegalStateException("DynamoDB Local created no connector to bind");
        }
        for (Object connector : connectors) {
            connector.getClass().getMethod("setHost", String.class).invoke(connector, host);
        }
        proxy.getClass().getMethod("start").invoke(proxy);
    }
}
