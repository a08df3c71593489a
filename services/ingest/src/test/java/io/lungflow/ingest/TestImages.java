package io.lungflow.ingest;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Images the tests make for themselves: a synthetic chest-like picture, and deliberately broken files. */
public final class TestImages {

    /** A grayscale picture whose content depends on {@code seed}, so each seed gives different bytes. */
    public static BufferedImage picture(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(20, 20, 20));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(180, 180, 180));
        g.fillOval(width / 8, height / 6, width / 3, height * 2 / 3);
        g.fillOval(width * 13 / 24, height / 6, width / 3, height * 2 / 3);
        g.setColor(new Color(60 + seed % 150, 60 + seed % 150, 60 + seed % 150));
        g.fillOval(width / 4 + seed % (width / 4), height / 3, width / 10 + 1, height / 10 + 1);
        g.dispose();
        return image;
    }

    public static byte[] png(int width, int height, int seed) {
        return encode(picture(width, height, seed), "png");
    }

    public static byte[] jpeg(int width, int height, int seed) {
        BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(picture(width, height, seed), 0, 0, null);
        g.dispose();
        return encode(rgb, "jpeg");
    }

    /** The first {@code fraction} of the bytes: what a dropped connection leaves. */
    public static byte[] truncated(byte[] image, double fraction) {
        return Arrays.copyOf(image, (int) (image.length * fraction));
    }

    private static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("No writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestImages() {
    }
}
