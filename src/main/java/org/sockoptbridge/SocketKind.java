package org.sockoptbridge;

import org.sockoptbridge.internal.NativeShim;

/** Family, type and binding of a socket, read on the error path to explain a failure. */
record SocketKind(int family, int type, boolean bound, boolean known) {

    /** Decodes sob_socket_kind's result; a negative one (an error) gives an unknown kind. */
    static SocketKind decode(long kind) {
        if (kind < 0) {
            return new SocketKind(0, 0, false, false);
        }
        return new SocketKind((int) (kind >> 8) & 0xffff, (int) kind & 0xff, (kind >>> 24) != 0, true);
    }

    boolean isTcp() {
        return !known || (type == NativeShim.TYPE_STREAM && (family == NativeShim.FAMILY_INET || family == NativeShim.FAMILY_INET6));
    }

    boolean isInet6() {
        return !known || family == NativeShim.FAMILY_INET6;
    }

    /** An IPv4 or IPv6 socket, of any type. */
    boolean isInet() {
        return !known || family == NativeShim.FAMILY_INET || family == NativeShim.FAMILY_INET6;
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
        if (type != NativeShim.TYPE_STREAM && type != NativeShim.TYPE_DGRAM) {
            return "a " + familyName + " " + typeName + " socket"; // raw: no port, neither bound nor unbound
        }
        return (bound ? "a bound " : "an unbound ") + familyName + " " + typeName + " socket";
    }
}
