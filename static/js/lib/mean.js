/** A scale's mean as the console and projector write it: one decimal, always shown (3.0, not 3), in the page's
 * language. */

import { language } from './i18n.js';

const oneDecimal = new Intl.NumberFormat(language, {
  minimumFractionDigits: 1, maximumFractionDigits: 1,
});

export const formatMean = (mean) => oneDecimal.format(mean);
