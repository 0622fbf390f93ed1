package org.sockoptbridge;

import org.sockoptbridge.internal.JniShim;

/** Family, type and binding of a socket, read on the error path to explain a failure. */
record SocketKind(int family, int type, boolean bound, boolean known) {

    /** Decodes sob_socket_kind's result; a negative one (an error) gives an unknown kind. */
    static SocketKind decode(long kind) {
        if (kind < 0) {
            return new SocketKind(0, 0, false, false);
        }
        return new SocketKind(JniShim.socketFamily((int) kind), JniShim.socketType((int) kind),
                JniShim.socketBound((int) kind), true);
    }

    boolean isTcp() {
        return !known || (type == JniShim.TYPE_STREAM && (family == JniShim.FAMILY_INET || family == JniShim.FAMILY_INET6));
    }

    boolean isInet6() {
        return !known || family == JniShim.FAMILY_INET6;
    }

    /** An IPv4 or IPv6 socket, of any type. */
    boolean isInet() {
        return !known || family == JniShim.FAMILY_INET || family == JniShim.FAMILY_INET6;
    }

    @Override
    public String toString() {
        if (!known) {
            return "a socket of unknown kind";
        }
        String familyName = family == JniShim.FAMILY_INET ? "IPv4" : family == JniShim.FAMILY_INET6 ? "IPv6"
                : family == JniShim.FAMILY_UNIX ? "Unix-domain" : "non-IP";
        String typeName = type == JniShim.TYPE_STREAM ? (family == JniShim.FAMILY_UNIX ? "stream" : "TCP")
                : type == JniShim.TYPE_DGRAM ? (family == JniShim.FAMILY_UNIX ? "datagram" : "UDP") : "raw";
        if (type != JniShim.TYPE_STREAM && type != JniShim.TYPE_DGRAM) {
            return "a " + familyName + " " + typeName + " socket"; // raw: no port, neither bound nor unbound
        }
        return (bound ? "a bound " : "an unbound ") + familyName + " " + typeName + " socket";
    }
}
