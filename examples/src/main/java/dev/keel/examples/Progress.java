package dev.keel.examples;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr: run, epoch, loss, tokens/s and ETA, redrawn in place at most
 * ten times a second. Silent when stderr is not a terminal ({@code System.console() == null}) or
 * with {@code --quiet}.
 */
public final class Progress {

    private static final int BAR = 24;

    private final PrintStream out;
    private final boolean enabled;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private int lastLength;

    public Progress(boolean quiet) {
        this(System.err, !quiet && interactive());
    }

    /**
     * Whether the JVM talks to a terminal. From JDK 22 {@code System.console()} may exist even when
     * the streams are redirected; {@code Console.isTerminal()} (JDK 22+, called reflectively since
     * keel targets 17) then says whether it really is one.
     */
    static boolean interactive() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 17-21: a console exists only on a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    Progress(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * @param done fraction of all the work done so far, in [0, 1] (drives the bar and the ETA)
     */
    public void update(String run, int epoch, int epochs, double loss, double tokensPerSecond, double done) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && done < 1) {
            return;
        }
        lastDraw = now;
        out.print('\r' + line(run, epoch, epochs, loss, tokensPerSecond, done, (now - startNanos) / 1e9));
        out.flush();
    }

    String line(String run, int epoch, int epochs, double loss, double tokensPerSecond, double done,
                double elapsedSeconds) {
        int filled = (int) Math.round(Math.max(0, Math.min(1, done)) * BAR);
        String eta = done > 0.001 ? duration(elapsedSeconds * (1 - done) / done) : "--";
        String text = String.format(Locale.ROOT, "[%s%s] %3.0f%%  %s  epoch %d/%d  loss %.4f  %s tok/s  ETA %s",
                "#".repeat(filled), ".".repeat(BAR - filled), 100 * done, run, epoch, epochs, loss,
                compact(tokensPerSecond), eta);
        String padded = text.length() < lastLength ? text + " ".repeat(lastLength - text.length()) : text;
        lastLength = text.length();
        return padded;
    }

    /** Ends the bar's line so later output starts on a fresh one. */
    public void finish() {
        if (enabled && lastLength > 0) {
            out.println();
            lastLength = 0;
        }
    }

    /** A message on its own line (clearing the bar), shown unless quiet. */
    public void note(String message) {
        if (enabled) {
            if (lastLength > 0) {
                out.print('\r' + " ".repeat(lastLength) + '\r');
                lastLength = 0;
            }
            out.println(message);
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    static String compact(double v) {
        return v >= 1e6 ? String.format(Locale.ROOT, "%.1fM", v / 1e6)
                : v >= 1e3 ? String.format(Locale.ROOT, "%.0fk", v / 1e3) : String.format(Locale.ROOT, "%.0f", v);
    }
}
