import { Box, Code } from '@mantine/core';
import { CopyValueButton } from './CopyValueButton';

interface CodeBlockProps {
  code: string;
  /** What the code is, for the copy button's label ("the curl command"). */
  label: string;
  testId?: string;
}

/** A block of code with a copy button in its corner. */
export function CodeBlock({ code, label, testId }: CodeBlockProps) {
  return (
    <Box pos="relative">
      <Code block data-testid={testId} pr={72} aria-label={label}>
        {code}
      </Code>
      <Box pos="absolute" top={8} right={8}>
        <CopyValueButton value={code} label={label} />
      </Box>
    </Box>
  );
}
