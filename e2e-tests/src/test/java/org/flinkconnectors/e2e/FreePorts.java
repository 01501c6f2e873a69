package org.flinkconnectors.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Distinct free ports on the loopback address, for the processes a test starts. */
final class FreePorts {

    private FreePorts() {}

    static int[] take(int count) throws IOException {
        // Hold all sockets open until every port is picked, so the ports are distinct.
        ServerSocket[] sockets = new ServerSocket[count];
        int[] ports = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
        return ports;
    }
}
