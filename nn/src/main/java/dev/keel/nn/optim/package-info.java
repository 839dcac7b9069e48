/**
 * Optimizers with lazy row-sparse updates ({@link dev.keel.nn.optim.SGD},
 * {@link dev.keel.nn.optim.Adam}, {@link dev.keel.nn.optim.AdamW}), learning-rate schedules
 * ({@link dev.keel.nn.optim.LrSchedule}) and gradient clipping
 * ({@link dev.keel.nn.optim.GradClipping}).
 */
package dev.keel.nn.optim;
