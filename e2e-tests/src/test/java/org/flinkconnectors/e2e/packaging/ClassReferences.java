package org.flinkconnectors.e2e.packaging;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The classes one class file refers to: the names of its constant pool's {@code CONSTANT_Class}
 * entries, which cover every class the code instantiates, calls, casts to, catches or reads a field
 * of. Array descriptors are reduced to their element class; primitives are dropped.
 */
final class ClassReferences {

    private static final int MAGIC = 0xCAFEBABE;

    private ClassReferences() {}

    /** Internal names ({@code a/b/C}) of the classes the class file refers to. */
    static Set<String> of(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classNameIndex[i] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> in.skipNBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // longs and doubles take two slots
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        Set<String> names = new LinkedHashSet<>();
        for (int index : classNameIndex) {
            if (index != 0) {
                String name = elementClass(utf8[index]);
                if (name != null) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static String elementClass(String name) {
        if (!name.startsWith("[")) {
            return name;
        }
        String element = name.replaceFirst("^\\[+", "");
        return element.startsWith("L") && element.endsWith(";")
                ? element.substring(1, element.length() - 1)
                : null;
    }
}
