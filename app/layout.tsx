import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { ClerkProvider } from "@clerk/nextjs";
import { Providers } from "@/components/providers";
import { clerkMode } from "@/lib/env";
import "./globals.css";

export const metadata: Metadata = {
  title: "Revwatch",
  description: "Scheduled CRM pipeline reviews that run themselves",
  // Files in public/ (the proxy's matcher leaves them alone, so they load signed out too).
  icons: {
    icon: [{ url: "/favicon.ico", sizes: "48x48" }, { url: "/icon.svg", type: "image/svg+xml" }],
    apple: "/apple-touch-icon.png",
  },
  manifest: "/manifest.webmanifest",
};

export const viewport: Viewport = { themeColor: "#4f46e5" };

export default function RootLayout({ children }: { children: ReactNode }) {
  const page = (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
  // clerk-js loads from Clerk's CDN: mount it only for a real Clerk instance.
  return clerkMode() === "clerk" ? <ClerkProvider>{page}</ClerkProvider> : page;
}
