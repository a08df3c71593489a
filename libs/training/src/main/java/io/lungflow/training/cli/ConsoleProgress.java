package io.lungflow.training.cli;

import io.lungflow.training.TrainingProgress;
import java.io.PrintStream;

/** A progress bar on the terminal: epoch, step, loss and ETA; one line per epoch when not a terminal. */
final class ConsoleProgress implements TrainingProgress {

    private final PrintStream out;
    private final boolean terminal;
    private double epochStartedAt;

    ConsoleProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void step(int epoch, int epochs, int step, int steps, double loss, double secondsElapsed) {
        if (step == 1) {
            epochStartedAt = secondsElapsed;
        }
        if (!terminal) {
            return;
        }
        double perStep = (secondsElapsed - epochStartedAt) / step;
        double eta = perStep * ((long) (epochs - epoch) * steps + (steps - step));
        int width = 30;
        int filled = (int) Math.round((double) step / steps * width);
        out.printf("\repoch %d/%d [%s%s] step %d/%d loss %.4f ETA %s   ", epoch, epochs, "=".repeat(filled), " ".repeat(width - filled),
                step, steps, loss, duration(eta));
        out.flush();
    }

    @Override
    public void epoch(EpochResult r) {
        if (terminal) {
            out.print("\r");
        }
        out.printf("epoch %d/%d  loss %.4f  tune loss %.4f  %.0f s%s%n", r.epoch(), r.epochs(), r.fitLoss(), r.tuneLoss(), r.seconds(),
                r.best() ? "  (best so far)" : "");
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
    }
}
