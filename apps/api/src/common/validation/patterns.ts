/** At least one non-whitespace character: a name of only spaces is as good as none. */
export const NOT_BLANK = /\S/;
