import { guEslintConfig } from '@gu/config/eslint';

export default guEslintConfig(import.meta.dirname);
