/** The product mark, inline so it renders wherever the SPA is served from. */
export function Logo({ size = 24 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden focusable="false">
      <rect width="32" height="32" rx="6" fill="#1f5eff" />
      <path d="M9 22V10h4v12zm5 0V14h4v8zm5 0v-5h4v5z" fill="#fff" />
    </svg>
  );
}
