/**
 * When synth uses its second thread (see RoutingAppProps.parallel). Tests
 * lower them to exercise both ways on small apps.
 */
export const THREAD_THRESHOLDS = {
  /**
   * Below this many services one thread is as fast (measured: 2,000
   * services 1.3 s either way, 4,000 services 2.8 s on one thread, 2.35 s
   * on two).
   */
  parallelFromServices: 3000,
  /**
   * The worker takes about 0.3 s to load its code, as long as declaring
   * about 6,000 services, while the other core has little else to do: it
   * starts here, so that an app of 10,000 services has it loaded by synth.
   * An app that stays under parallelFromServices closes it unused.
   */
  workerStartAtServices: 2000,
};
