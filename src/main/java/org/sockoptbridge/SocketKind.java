package org.sockoptbridge;

import org.sockoptbridge.internal.NativeShim;

/** Family, type and binding of a socket, read on the error path to explain a failure. */
record SocketKind(int family, int type, boolean bound, boolean known) {

    static SocketKind of(NativeShim shim, int fd) {
        int kind = shim.sob_socket_kind(fd);
        if (kind < 0) {
            return new SocketKind(0, 0, false, false);
        }
        return new SocketKind((kind >> 8) & 0xffff, kind & 0xff, (kind >>> 24) != 0, true);
    }

    boolean isTcp() {
        return !known || (type == NativeShim.TYPE_STREAM && (family == NativeShim.FAMILY_INET || family == NativeShim.FAMILY_INET6));
    }

    boolean isInet6() {
        return !known || family == NativeShim.FAMILY_INET6;
    }

    @Override
    public String toString() {
        if (!known) {
            return "a socket of unknown kind";
        }
        String familyName = family == NativeShim.FAMILY_INET ? "IPv4" : family == NativeShim.FAMILY_INET6 ? "IPv6"
                : family == NativeShim.FAMILY_UNIX ? "Unix-domain" : "non-IP";
        String typeName = type == NativeShim.TYPE_STREAM ? (family == NativeShim.FAMILY_UNIX ? "stream" : "TCP")
                : type == NativeShim.TYPE_DGRAM ? (family == NativeShim.FAMILY_UNIX ? "datagram" : "UDP") : "raw";
        return "a" + (bound ? " bound " : "n unbound ").trim() + " " + familyName + " " + typeName + " socket";
    }
}
