package io.lungflow.imaging;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Synthetic labelled images, for tests and for the demo when no dataset is given: up to three
 * classes that differ in a way a small network learns quickly (bright disks, rings, stripes), with
 * noise, random positions, and mixed file formats and colour modes. Not medical images.
 */
public final class SyntheticImages {

    private SyntheticImages() {
    }

    /** An image of class {@code label} (0: disk, 1: ring, 2: stripes). */
    public static BufferedImage image(int label, int size, Random random, boolean colour) {
        BufferedImage image = new BufferedImage(size, size, colour ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        int base = 40 + random.nextInt(30);
        g.setColor(new Color(base, base, base));
        g.fillRect(0, 0, size, size);
        int r = size / 4 + random.nextInt(size / 8 + 1);
        int cx = size / 2 + random.nextInt(size / 6 + 1) - size / 12;
        int cy = size / 2 + random.nextInt(size / 6 + 1) - size / 12;
        g.setColor(new Color(220, 220, 220));
        switch (label) {
            case 0 -> g.fillOval(cx - r, cy - r, 2 * r, 2 * r);
            case 1 -> {
                g.setStroke(new java.awt.BasicStroke(Math.max(2, size / 16f)));
                g.drawOval(cx - r, cy - r, 2 * r, 2 * r);
            }
            default -> {
                for (int x = random.nextInt(4); x < size; x += Math.max(4, size / 6)) {
                    g.fillRect(x, 0, Math.max(2, size / 16), size);
                }
            }
        }
        g.dispose();
        for (int i = 0; i < size * size / 8; i++) {
            int x = random.nextInt(size);
            int y = random.nextInt(size);
            int v = random.nextInt(256);
            image.setRGB(x, y, new Color(v, v, v).getRGB());
        }
        return image;
    }

    /** Writes {@code perClass} images of each class under {@code dir/<split>/<class>/} for each split. */
    public static void splitFolders(Path dir, List<String> classes, List<String> splits, int perClass, int size, long seed) {
        Random random = new Random(seed);
        for (String split : splits) {
            for (int c = 0; c < classes.size(); c++) {
                Path classDir = dir.resolve(split).resolve(classes.get(c));
                for (int i = 0; i < perClass; i++) {
                    write(image(c, size, random, i % 2 == 0), classDir.resolve(classes.get(c) + "-" + i + (i % 3 == 0 ? ".jpg" : ".png")));
                }
            }
        }
    }

    public static void write(BufferedImage image, Path file) {
        try {
            Files.createDirectories(file.getParent());
            String format = file.toString().endsWith(".jpg") ? "jpeg" : "png";
            BufferedImage toWrite = image;
            if (format.equals("jpeg") && image.getType() != BufferedImage.TYPE_INT_RGB && image.getType() != BufferedImage.TYPE_BYTE_GRAY) {
                toWrite = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
                toWrite.getGraphics().drawImage(image, 0, 0, null);
            }
            if (!ImageIO.write(toWrite, format, file.toFile())) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
