import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ClerkProvider } from "@clerk/nextjs";
import { Providers } from "@/components/providers";
import { clerkMode } from "@/lib/env";
import "./globals.css";

export const metadata: Metadata = { title: "Revwatch", description: "Scheduled CRM pipeline reviews that run themselves" };

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
