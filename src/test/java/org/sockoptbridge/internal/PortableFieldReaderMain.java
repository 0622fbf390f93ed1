package org.sockoptbridge.internal;

import java.io.FileDescriptor;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImpl;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.sockoptbridge.SocketControl;
import org.sockoptbridge.internal.NativeBackend.JdkFieldReader;

/**
 * Child JVM of PortableBackendTest: reads the fd of a SocketChannel and of a java.net.Socket
 * through the portable backend's reflection reader, then through the shim's JNI reader
 * (SocketControl.of), and prints both; or prints the reader's error.
 */
public final class PortableFieldReaderMain {
    private PortableFieldReaderMain() {
    }

    public static void main(String[] args) throws Exception {
        JdkFieldReader reader = Backends.portable("test child").fieldReader();
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(loopback);
             SocketChannel channel = SocketChannel.open(listener.getLocalAddress());
             ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            int viaReflection;
            int socketViaReflection;
            try {
                Field fdVal = JdkSockets.findField(channel.getClass(), "fdVal", int.class);
                viaReflection = reader.readInt(reader.fieldId(fdVal, true), fdVal, channel);
                // java.net.Socket.impl -> DelegatingSocketImpl.delegate -> SocketImpl.fd -> FileDescriptor.fd
                Object impl = read(reader, JdkSockets.findField(Socket.class, "impl", SocketImpl.class), socket);
                Field delegate = JdkSockets.findField(impl.getClass(), "delegate", SocketImpl.class);
                Object platformImpl = delegate == null ? impl : read(reader, delegate, impl);
                Object descriptor = read(reader, JdkSockets.findField(platformImpl.getClass(), "fd", FileDescriptor.class),
                        platformImpl);
                Field fd = JdkSockets.findField(FileDescriptor.class, "fd", int.class);
                socketViaReflection = reader.readInt(reader.fieldId(fd, true), fd, descriptor);
            } catch (IllegalStateException e) {
                System.out.println("REFUSED " + e.getMessage());
                System.exit(2);
                return;
            }
            System.out.println("CHANNEL reflection=" + viaReflection + " jni=" + SocketControl.of(channel).fd());
            System.out.println("SOCKET reflection=" + socketViaReflection + " jni=" + SocketControl.of(socket).fd());
        }
    }

    private static Object read(JdkFieldReader reader, Field field, Object target) {
        return reader.readObject(reader.fieldId(field, false), field, target);
    }
}
